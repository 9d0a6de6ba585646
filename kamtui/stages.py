"""The six lifecycle stages of a key account (seeds: the KAM lifecycle), in a module
without SQLAlchemy so that start-up can name them (the accounts filter matches them)."""

STAGES = {
    1: "You got what they need",
    2: "You supply what they need",
    3: "You source and support what they need",
    4: "Relationships grow",
    5: "Do we still like you?",
    6: "Relationship maintenance",
}
# the stages where room is short (the board's strip of all six at 80 columns)
STAGE_SHORT = {1: "Need", 2: "Supply", 3: "Support", 4: "Grow", 5: "Like us?", 6: "Maintain"}
