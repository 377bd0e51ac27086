"""Models of huitoukan.assessments."""
