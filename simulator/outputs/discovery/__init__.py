"""What ``outsim discover`` writes (``report``): the boxes found, as tables and charts."""
