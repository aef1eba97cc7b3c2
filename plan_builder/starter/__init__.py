"""Starting a plan: the files `plan-builder new` writes, from packaged text in `starter/files/`."""
