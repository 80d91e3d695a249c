"""insidergym inside other frameworks. Each module needs its framework, installed with an extra:

- `insidergym.integrations.inspect_tasks`: Inspect AI tasks, solver and scorer (`pip install "insidergym[inspect]"`),
  found by `inspect eval insidergym/summitbridge` through the `inspect_ai` entry point.

Nothing is imported here, so that `import insidergym.integrations` works without any of them.
"""
