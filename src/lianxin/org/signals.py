"""Signals of the organisation tree.

``unit_moved(sender=Unit, unit, old_path, new_path)``: sent by ``org.tree.unit_move`` inside its
transaction, after the subtree's paths were rewritten; receivers fix the rows that copy the tree
(``cases.unit_moves``: a request's town and village).
"""

from django.dispatch import Signal

unit_moved = Signal()
