"""What people ask the directory for: enquiries to providers, and searches nobody could answer."""
