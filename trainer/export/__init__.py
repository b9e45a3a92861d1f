"""Writing the cards in the formats of the tools learners already use (Anki)."""
