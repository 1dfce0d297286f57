"""From themes to action: the backlog (with its "not now" list), dot-voting, design
sprints with their review and retrospective, the decision log, the meeting view."""
