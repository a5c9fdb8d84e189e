"""The menu file and its model: stage 1 of the pipeline.

Takes a path or text (YAML, or JSON of the same shape) and gives a checked `Menu`
(`model`), with the source position of every part (`yamltree`) for located errors; also
reads input files safely (`files`), writes a menu back out (`writer`) and states the
format as a JSON Schema (`schema`). Imports nothing from a later stage.
"""
