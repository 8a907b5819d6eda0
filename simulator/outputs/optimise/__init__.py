"""What ``outsim optimise`` writes beside its store (``pareto``): the Pareto plans as runnable
scenarios, their trade-offs in words and charts, and a page."""
