"""Reading a line for meaning: a local sentence encoder, the topics it asks about, and its stance and tone."""
