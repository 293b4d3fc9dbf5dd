"""Funding: funds, the tiers of support a partnership defines, what each fund makes available
to each tier per financial year, commitments to experiments, and the spend against them."""
