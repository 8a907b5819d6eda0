"""``outsim dashboard``: a local web app (Solara) to explore a plan (the interface layer)."""
