"""The campaign dashboard: who has been heard, who has not, and what they answered."""
