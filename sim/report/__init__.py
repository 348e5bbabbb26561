"""Reports for documentation writers: the annotated article, timelines, scenario pages."""
