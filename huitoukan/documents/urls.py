"""Official documents (通报, 简报, 情况报告) drafted from live figures, under /documents/."""

urlpatterns: list = []
