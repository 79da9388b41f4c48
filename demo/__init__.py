"""The demo company: seed_demo and one builder per app. Imports every app; nothing imports it."""
