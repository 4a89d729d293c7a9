"""The reasoning between the article's figures: one short explanation per step.

:data:`EXPLANATIONS` maps a step number of :data:`dagnet.gallery.steps.ARTICLE` to 2-4
plain-text sentences that the gallery prints under the step's caption (HTML-escaped
in ``index.html``, as is in ``README.md``). They are written for dagnet, in dagnet's
symbols, and state what dagnet computes: weights uniform on [-1, 1), the bias node
``x_0`` fixed at 1, category A where one output is
above its activation's threshold (logistic 0.5, tanh 0) and otherwise B, and the
largest output naming the category when there are several (ties go to the first).
``tests/gallery/test_gallery_table.py`` checks every entry (length, sentences, characters
that are safe in both pages).

Examples
--------
>>> from dagnet.gallery.text import EXPLANATIONS
>>> sorted(EXPLANATIONS) == list(range(1, 18))
True
>>> EXPLANATIONS[6].split(":")[0]
'To classify, compare y_0 with 0.5'
"""

from __future__ import annotations

__all__ = ["EXPLANATIONS"]

#: Step number -> the reasoning behind that step's figures (plain text, 2-4 sentences).
EXPLANATIONS: dict[int, str] = {
    1: ("dagnet builds y = m x + b as a graph: the input x is multiplied by the weight m, the "
        "constant 1 by the weight b, and a sum node adds the two products. Every draw picks m "
        "and b uniformly from [−1, 1), so each curve is a line of slope m crossing the y axis "
        "at b. Nothing in this graph can bend it."),
    2: ("The same graph under network names: the constant input is the bias node x_0, always "
        "1, so its weight w_00 plays the part of b, and the real input x_1 gets "
        "the slope weight w_10. Each weight makes a product u_i0 = x_i w_i0 and the sum v_0 "
        "adds them, so v_0 = w_00 + w_10 x_1 is exactly m x + b again. Only the labels "
        "changed; the curves are still lines."),
    3: ("A second input x_2 brings one more weight, w_20, and one more product into the same "
        "sum: v_0 = w_00 + w_10 x_1 + w_20 x_2. Over the (x_1, x_2) floor that is a flat plane, "
        "tilted by w_10 and w_20 and lifted by w_00. More inputs would give a flat hyperplane, "
        "never a curved one."),
    4: ("Layer I's sums are hidden nodes: layer II reads sum j of layer I as its input "
        "j + 1, next to its own bias node x_0 = 1. Scaled lines added together are a line, "
        "so the whole net collapses to y = m x + b: the slope m adds, over the hidden nodes, "
        "each one's slope times the weight layer II gives it. The equations name a layer's "
        "inputs i, its sums j and the layer L as the last subscript, so one set of formulas "
        "covers all 100 hidden nodes."),
    5: ("After the sum comes an activation f: the output is y_0 = f(v_0), here the logistic "
        "1 / (1 + e^(−v_0)). It tends to 0 for very negative v_0 and to 1 for very positive "
        "v_0, so the line v_0 = w_00 + w_10 x is squeezed into an S that stays between 0 and 1. "
        "The weights only move the S (its middle sits at x = −w_00 / w_10) and set its "
        "steepness and direction (w_10)."),
    6: ("To classify, compare y_0 with 0.5: dagnet calls x category A where y_0 > 0.5 and B "
        "elsewhere. The logistic is exactly 0.5 where v_0 = 0, that is at x = −w_00 / w_10, so "
        "every draw has one divider with A on one side and B on the other. For a small w_10 "
        "that divider can lie outside the plotted window [−6, 6]."),
    7: ("With two inputs the logistic bends a tilted plane into a sheet that is near 0 on one "
        "side and near 1 on the other. The output depends on x_1 and x_2 only through "
        "v_0 = w_00 + w_10 x_1 + w_20 x_2, so every contour on the floor is a straight line. "
        "Cutting at 0.5 therefore always splits the floor in two along a straight line: a "
        "linear classifier."),
    8: ("tanh is a rescaled logistic: tanh(v) = 2 / (1 + e^(−2v)) − 1, twice as tall, twice "
        "as steep and shifted down by 1. It is 0 at v = 0 and levels off at −1 and 1, so one "
        "tanh layer draws the same S curves as step 5, centred on 0 instead of 0.5."),
    9: ("Each of the 100 hidden nodes is its own tanh S curve of x, with a centre and "
        "steepness set by its two weights; layer II reads hidden node j as its input j + 1. "
        "Layer II "
        "adds the 100 weighted S curves and its bias weight, then squashes the total with tanh "
        "once more. S curves centred at different places can add up to a curve that rises, "
        "falls and rises again: that is where the wiggles come from."),
    10: ("Layer I's 11 tanh outputs feed layer II, whose 9 tanh outputs feed the output "
         "layer; each layer has its own bias node. Given enough hidden nodes, two layers can "
         "approximate any curve more layers make; depth buys economy, as layer II bends curves "
         "that are already bent. With 20 hidden nodes and 140 weights its random curves turn "
         "more often on average than those of 1-100-1 with 100 and 301 (counted below)."),
    11: ("The same 1-11-9-1 network used as a classifier (a multi-layer perceptron): dagnet "
         "calls x category A where y > 0 and B where y ≤ 0, so every zero crossing is a "
         "divider. A wiggly curve can cross zero several times, so A and B can alternate along "
         "x instead of taking one half each. The plot shows, of 24 draws, the one with the "
         "most regions that clear 0 by at least 0.1 somewhere: no ripple that grazes zero."),
    12: ("Now the last layer has two sums and two tanh outputs, y_0 and y_1, each its own "
         "curve over x. dagnet calls x category A where y_0 is the larger and B where y_1 is "
         "(a tie goes to A), so the dividers sit exactly where the two curves cross."),
    13: ("A third output adds category C: at each x the largest of y_0, y_1 and y_2 names the "
         "category (argmax). The same rule gives one category per output, however many there "
         "are. The winner only has to be the largest, not large: where two curves nearly "
         "touch, one wins by a hair."),
    14: ("With two inputs the output is a surface over the (x_1, x_2) floor. Layer I makes "
         "straight tanh ridges across the floor, and layers II and III bend and combine them "
         "into hills, wells and folds. The final tanh keeps every surface strictly between −1 "
         "and 1, and tanh is smooth everywhere, so a sudden jump can only be imitated by a "
         "steep slope."),
    15: ("Cutting the surface of step 14 at 0 makes a classifier: floor points where the output "
         "is above 0 are category A, the rest B. The boundary is the surface's zero contour, so "
         "it can curve, close into islands or split the floor into several pieces, but as a "
         "level line of a smooth surface it has no sharp corners."),
    16: ("Three outputs give three surfaces over the same floor, and at each point the highest "
         "one names the category (argmax, as in step 13). The floor is split into regions A, B "
         "and C, whose boundaries lie where the two highest surfaces are level."),
    17: ("ReLU replaces tanh: f(v) = max(0, v), zero for a negative sum and the sum itself "
         "otherwise. Every node is then piecewise linear, so the surface is made of flat facets "
         "joined along creases instead of smooth slopes. Its output is at least 0 with no upper "
         "bound, and it is flat at 0 wherever the last sum is negative."),
}
