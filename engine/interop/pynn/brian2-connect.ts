/**
 * Python lines the PyNN script runs on pyNN.brian2 only: PyNN 0.10.1's
 * `pyNN.brian2` makes a projection's synapses one postsynaptic neuron at a
 * time (each `Synapses.connect` call generates a Brian2 code object) and then
 * sets every synapse's weight and delay with its own indexed assignment, which
 * takes tens of minutes for CUBA's 320 000 synapses. These lines collect the
 * synapses PyNN's connector draws and make them with one `connect` and one
 * assignment per variable and projection: the same synapses, in the same
 * order, with the same values (delays rounded to the step as PyNN does).
 * Projections between population views or assemblies keep PyNN's own code.
 */
export const BRIAN2_FAST_CONNECT: readonly string[] = [
  "if args.simulator == 'brian2':",
  '    # pyNN.brian2 0.10 makes synapses one postsynaptic neuron at a time (a Brian2 code object each) and',
  "    # sets each synapse's weight and delay by its own assignment: tens of minutes for 10^5 synapses.",
  '    # The same synapses, in the same order and with the same values, made in one call per projection.',
  '    import brian2',
  '    from pyNN.brian2.projections import Projection as B2Projection',
  '    b2_init, b2_connect = B2Projection.__init__, B2Projection._convergent_connect',
  '',
  '    def b2_collect(self, presynaptic_indices, postsynaptic_index, **params):',
  '        if not (isinstance(self.pre, sim.Population) and isinstance(self.post, sim.Population)):',
  '            return b2_connect(self, presynaptic_indices, postsynaptic_index, **params)',
  "        params.pop('dendritic_delay_fraction', None)",
  "        self.__dict__.setdefault('_sf_pending', []).append((np.asarray(presynaptic_indices), postsynaptic_index, params))",
  '',
  '    def b2_projection(self, *a, **k):',
  '        b2_init(self, *a, **k)',
  "        pending = self.__dict__.pop('_sf_pending', [])",
  '        if not pending:',
  '            return',
  '        i = np.concatenate([p[0] for p in pending])',
  '        j = np.concatenate([np.full(p[0].size, p[1]) for p in pending])',
  '        syn = self._brian2_synapses[0][0]',
  '        n0 = len(syn)',
  '        syn.connect(i=i, j=j)',
  '        self._n_connections += i.size',
  '        initial = dict(self.synapse_type.initial_conditions)',
  '        for name in list(pending[0][2]) + list(initial):',
  '            values = [p[2][name] if name in p[2] else initial[name] for p in pending]',
  "            dim = getattr(values[0], 'dim', None)",
  '            value = np.concatenate([np.broadcast_to(np.asarray(v, dtype=float), (p[0].size,)) for v, p in zip(values, pending)])',
  '            if dim is not None:',
  '                value = brian2.Quantity(value, dim=dim)',
  "            if name == 'delay':",
  '                scale = self._simulator.state.dt * brian2.ms',
  '                value = np.round(value / scale) * scale',
  '            try:',
  '                getattr(syn, name)[n0:n0 + i.size] = value',
  '            except TypeError as err:',
  "                if 'read-only' not in str(err):",
  '                    raise',
  '',
  '    B2Projection.__init__, B2Projection._convergent_connect = b2_projection, b2_collect',
];
