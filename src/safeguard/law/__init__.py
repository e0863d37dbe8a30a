"""The law as code. Folders mirror the law: citizenship/ (birth, acquisition abroad, derivation,
naturalization, loss, the resulting status) and removal/ (who may be transferred, and how)."""
