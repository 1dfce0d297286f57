"""Paper: a print-ready version of a survey in each of its languages."""
