"""A campaign's scorecard: the fewest, most critical measures on one page."""
