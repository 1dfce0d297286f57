"""Listening sessions: when and where, who came, and the notes taken, which the
analysis reads like any other feedback."""
