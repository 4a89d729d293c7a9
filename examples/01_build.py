"""Step 1 of the article: y = m x + b, built box by box, then the same with one call.

Run: python examples/01_build.py
"""

import dagnet

# The article's first network, node by node: x_0 = 1 (the bias) and x_1 pass through,
# the weights w_00 (b) and w_10 (m) multiply, the sum v_0 adds.
net = dagnet.Network()
x0 = net.add_bias()
x1 = net.add_input(1)
v0 = net.add_sum(0)
net.add_weight(x0, v0, value=0.5)   # b
net.add_weight(x1, v0, value=2.0)   # m
print("by hand:   ", net, "weights", dict(zip(net.weight_names, net.weights.tolist())))
print("y(3) =", net.compile()([[3.0]])[0, 0], "(= 2 * 3 + 0.5)")

# The same network from a builder, and the article's bigger ones from their sizes.
print("builder:   ", dagnet.linear(1), dagnet.linear(1).weight_names)
for sizes, activation in [([1, 100, 1], None), ([1, 1], "logistic"), ([1, 11, 9, 1], "tanh"),
                          ([2, 11, 9, 3], "tanh")]:
    big = dagnet.mlp(sizes, activation=activation, rng=0)
    print(f"{'-'.join(map(str, sizes)):<10} {str(activation):<9} {big}  "
          f"linear: {big.is_linear()}  output range: {big.output_range()}")

# A network IS a networkx graph: every box is a node with its attributes.
print("nodes of y = m x + b:", sorted(net.graph.nodes))
print("L1.w10:", net.graph.nodes["L1.w10"])
