"""The public "you said, we did" page of a campaign, its approval, and the scorecard."""
