"""The ground floor: imports no app."""
