/**
 * Python lines the PyNN script runs on pyNN.neuron only: PyNN 0.10.1's
 * `pyNN.neuron` makes every synapse a Python `Connection` object (two cell ID
 * lookups, a target lookup, a NetCon, its weight and delay), which takes many
 * minutes and gigabytes for Brunel's 3.9 M synapses. For static synapses onto
 * standard cells these lines make the same NetCons (source gid, target
 * synapse, weight, delay), in the same order, in one loop per postsynaptic
 * neuron, and keep them on the projection (`_sf_netcons`; NEURON drops a
 * NetCon nothing refers to). Such projections then have no `Connection`
 * objects: the script never reads them back (`Projection.get`). Plastic
 * synapses, views and assemblies keep PyNN's own code.
 */
export const NEURON_FAST_CONNECT: readonly string[] = [
  "if args.simulator == 'neuron':",
  '    # pyNN.neuron 0.10 makes each synapse a Python Connection object: many minutes for millions of',
  '    # synapses. Static synapses onto standard cells are made here as the same NetCons, one loop per',
  '    # postsynaptic neuron, kept on the projection (no Connection objects: the script never reads them back).',
  '    from pyNN.neuron.projections import Projection as NrnProjection',
  '    from pyNN.neuron.simulator import state as nrn_state',
  '    nrn_connect = NrnProjection._convergent_connect',
  '',
  '    def nrn_fast_connect(self, presynaptic_indices, postsynaptic_index, **params):',
  '        post = self.post[postsynaptic_index]',
  "        if self.synapse_type.model is not None or '.' in self.receptor_type or hasattr(post._cell, 'type') \\",
  '                or not isinstance(self.pre, sim.Population) or set(params) != {"weight", "delay"}:',
  '            return nrn_connect(self, presynaptic_indices, postsynaptic_index, **params)',
  "        gids = self.__dict__.get('_sf_gids')",
  '        if gids is None:',
  '            gids = self._sf_gids = np.asarray(self.pre.all_cells, dtype=int)',
  '        target = getattr(post._cell, self.receptor_type)',
  '        g = gids[np.asarray(presynaptic_indices, dtype=int)]',
  "        w = np.broadcast_to(np.asarray(params['weight'], dtype=float), g.shape).tolist()",
  "        d = np.broadcast_to(np.asarray(params['delay'], dtype=float), g.shape).tolist()",
  '        gid_connect = nrn_state.parallel_context.gid_connect',
  "        netcons = self.__dict__.setdefault('_sf_netcons', [])",
  '        for gi, wi, di in zip(g.tolist(), w, d):',
  '            nc = gid_connect(gi, target)',
  '            nc.weight[0] = wi',
  '            nc.delay = di',
  '            netcons.append(nc)',
  '',
  '    NrnProjection._convergent_connect = nrn_fast_connect',
];
