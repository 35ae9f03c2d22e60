// Placeholder while the channel issue is in progress.
