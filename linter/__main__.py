from uelint.cli import run

run()
