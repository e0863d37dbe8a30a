"""Screening manifests: many rows at once, every row out, nothing lost."""
