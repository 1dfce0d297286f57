"""Interviewer mode: an interviewer takes down a resident's answers on a phone or
tablet, in the resident's language, tagged with the interviewer and the place."""
