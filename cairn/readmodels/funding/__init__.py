"""Funding as /funding, its downloads and the recording pages read it."""
