"""What every HTML page outsim writes is made of: a Jinja template and the shared stylesheet
from ``outputs/templates/``, and PNG images embedded as data URIs, so that each page is one
self-contained file that opens offline and can be mailed as it is."""

from __future__ import annotations

import base64
from importlib import resources
from pathlib import Path

from jinja2 import Environment, StrictUndefined, Template


def asset(name: str) -> str:
    """The text of a file in ``outputs/templates/`` (a template, a stylesheet, a script)."""
    return (resources.files("simulator.outputs") / "templates" / name).read_text("utf-8")


def css() -> str:
    return asset("base.css")


def environment() -> Environment:
    return Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True)


def template(name: str) -> Template:
    return environment().from_string(asset(name))


def embed_image(path: Path) -> dict[str, str]:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    alt = path.stem.replace("_", " ").capitalize()
    return {"src": f"data:image/png;base64,{data}", "alt": alt}
