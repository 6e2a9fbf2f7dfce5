# Comments arrive with the comments issue; the app exists so that its
# migrations start from the project's first release.
