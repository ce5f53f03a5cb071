"""The hub's workflows as state machines (pure): what can happen to a piece of casework, in
which order, and who may do it."""
