"""What orgs tells the apps above it, without importing them (they connect in their AppConfig.ready)."""

from django.dispatch import Signal

# A unit and its subtree moved under another parent, inside the move's transaction.
# Arguments: unit, old_ancestor_ids, new_ancestor_ids (the ids of the units above it, before and after).
unit_moved = Signal()

# A unit's level changed, inside the change's transaction. Arguments: unit (as it is now), old_level.
unit_level_changed = Signal()
