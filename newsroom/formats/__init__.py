"""The newsroom's own date formats (FORMAT_MODULE_PATH): Django's, with
24-hour times as British newsrooms write them ("1 Dec 2026, 21:34")."""
