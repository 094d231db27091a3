from catalogue.cli import run

run()
