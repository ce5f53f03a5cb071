"""The state-machine kernel every workflow uses (pure): transitions as a table."""
