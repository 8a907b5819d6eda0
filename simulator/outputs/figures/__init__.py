"""The figures of a run and of plans side by side, as PNG files.

``specs`` declares what each figure shows, as data; ``data`` derives the series they show;
``panels`` draws the few special panels; ``layout`` lays figures out with matplotlib's
constrained layout and saves them; ``style`` is the look every outsim chart shares;
``plots`` draws them (``make_plots``, ``make_comparison_plots``); ``demand`` is the contact
history and forecast.
"""
