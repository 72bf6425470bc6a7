"""A tiny django-machina project for bench/machina_compare.py. It runs only in the side virtualenv
where django-machina is pip-installed (not a Mutua dependency); nothing here is imported by Mutua."""
