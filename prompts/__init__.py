"""Prompt templates (one .txt file per prompt) and their strict renderer; see prompts/render.py."""
from prompts.render import PromptError, Template, available, load, render

__all__ = ["PromptError", "Template", "available", "load", "render"]
