"""Co-design feedback rounds: prototypes shown to residents, and what they made of them."""
