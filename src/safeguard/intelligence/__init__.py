"""Intelligence: CSE screening, missing-episode rules and network findings, with evidence."""
