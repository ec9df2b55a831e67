"""Commitment tracker (issue 9): what plans promised, what reports say was achieved."""
from commitments.track import track, tracked

__all__ = ["track", "tracked"]
