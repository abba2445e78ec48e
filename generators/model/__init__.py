"""The content model: load the YAML under ``modules/``, check it, and resolve references."""

from .model import BranchType, Handbook, Model, Section, emphasis_of
from .project import load_model

__all__ = ["BranchType", "Handbook", "Model", "Section", "emphasis_of", "load_model"]
