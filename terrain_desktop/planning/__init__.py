"""Planning a table for play and for the printer: checks, line of sight, print fit, build plan.

Qt-free and VTK-free (an import-linter contract holds it to that), so the same code answers in
the window, on the command line and in tests.
"""
