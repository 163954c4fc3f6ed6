"""The abstract interpreter: runs a jaxpr on key identities and records every key used twice."""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from ..._compat import ClosedJaxpr, Jaxpr, JaxprEqn, Literal, scan_layout
from ...findings import Finding
from ...walk import as_jaxpr, primitive_name, sub_jaxprs
from .identities import (
    Identities, fold_in_ids, impl_name, is_tracked, known_values, same_ids, seed_ids, shape_of, split_ids,
)
from .messages import reuse_finding
from .sites import Context, Use, use_of
from .structural import move

# How many iterations of a loop body are followed (enough to see a key used on two steps).
_UNROLL = 3


class Interpreter:
    """Follows key identities through programs; ``findings`` holds every reuse seen.

    ``state`` maps each consumed identity to its first use on the current path.
    """

    def __init__(self) -> None:
        self.ids = Identities()
        self.findings: list[Finding] = []
        self._reported: set = set()

    def run(self, program: Jaxpr | ClosedJaxpr, args: list, state: dict, ctx: Context) -> list:
        """Interpret ``program`` on the identities ``args``; return its outputs' identities."""
        jaxpr = as_jaxpr(program)
        env: dict = {}
        if isinstance(program, ClosedJaxpr):
            for var, value in zip(jaxpr.constvars, program.consts):
                env[var] = self.ids.constant(value, var.aval)
        else:
            for var in jaxpr.constvars:
                env[var] = self.ids.fresh(var.aval)
        for var, value in zip(jaxpr.invars, args):
            env[var] = value
        for eqn in jaxpr.eqns:
            inputs = [self._read(env, atom) for atom in eqn.invars]
            try:
                outputs = self._eqn(eqn, inputs, state, ctx)
            except Exception:  # anything not understood gets fresh identities
                if os.environ.get("AUTOGRADER_DEBUG"):
                    raise
                outputs = None
            if outputs is None or len(outputs) != len(eqn.outvars):
                outputs = [self.ids.fresh(v.aval) for v in eqn.outvars]
            for var, value in zip(eqn.outvars, outputs):
                if is_tracked(value) and value.shape != shape_of(var.aval):
                    value = self.ids.fresh(var.aval)
                env[var] = value
        return [self._read(env, atom) for atom in jaxpr.outvars]

    def _read(self, env: dict, atom: Any) -> Any:
        if isinstance(atom, Literal):
            return self.ids.literal(atom.val, atom.aval)
        if atom not in env:
            env[atom] = self.ids.fresh(atom.aval)
        return env[atom]

    def _eqn(self, eqn: JaxprEqn, inputs: list, state: dict, ctx: Context) -> list | None:
        """The outputs of one equation, or None for fresh ones."""
        name = primitive_name(eqn)
        p = eqn.params
        if name == "cond":
            return self._cond(eqn, inputs, state, ctx)
        if name == "scan":
            return self._scan(eqn, inputs, state, ctx)
        if name == "while":
            return self._while(eqn, inputs, state, ctx)
        subs = sub_jaxprs(eqn)
        if subs:
            return self._call(eqn, subs, inputs, state, ctx)
        if name in ("random_bits", "random_split"):
            keys = inputs[0]
            reused = self._consume(keys, use_of(eqn, ctx), state)
            if name == "random_bits" or reused or not is_tracked(keys):
                return None
            return [split_ids(keys, tuple(p["shape"]))]
        if name == "random_fold_in":
            keys, data = inputs[0], self.ids.element_ids(inputs[1], eqn.invars[1].aval)
            return [fold_in_ids(keys, data)] if is_tracked(keys) else None
        if name == "random_seed":
            impl = impl_name(p.get("impl"))
            seeds = self.ids.element_ids(inputs[0], eqn.invars[0].aval)
            return [seed_ids(impl, seeds)]
        if name == "random_wrap":
            return [self.ids.wrap(inputs[0], impl_name(p.get("impl")), eqn.outvars[0].aval)]
        if name == "random_unwrap":
            return [self.ids.unwrap(inputs[0], eqn.outvars[0].aval)]
        if name == "random_clone":  # an explicit copy: JAX treats it as a new key
            return None
        return move(name, eqn, inputs, self.ids)

    def _consume(self, ids: Any, use: Use, state: dict) -> bool:
        """Mark every element of ``ids`` used by ``use``; report and return True on reuse."""
        if not is_tracked(ids):
            return False
        reused = False
        seen: dict = {}
        for kid in ids.ravel():
            earlier = seen.get(kid) or state.get(kid)
            if earlier is not None and not (earlier is not use and use.call and earlier.call == use.call):
                reused = True
                self._report(kid, earlier, use)
            seen[kid] = use
        for kid, first in seen.items():
            state.setdefault(kid, first)
        return reused

    def _report(self, kid: Any, first: Use, again: Use) -> None:
        key = (first.site, first.frames, again.site, again.frames)
        if key in self._reported:
            return
        self._reported.add(key)
        self.findings.append(reuse_finding(kid, first, again))

    def _call(self, eqn: JaxprEqn, subs: list, inputs: list, state: dict, ctx: Context) -> list | None:
        """A call of one inner program (jit, custom_jvp, remat...), followed inline."""
        if len(subs) != 1:
            return None
        program = subs[0][1]
        jaxpr = as_jaxpr(program)
        if len(jaxpr.invars) != len(inputs) or len(jaxpr.outvars) != len(eqn.outvars):
            return None
        if any(shape_of(v.aval) != shape_of(a.aval) for v, a in zip(jaxpr.invars, eqn.invars)):
            return None
        return self.run(program, inputs, state, ctx.inside(eqn))

    def _cond(self, eqn: JaxprEqn, inputs: list, state: dict, ctx: Context) -> list:
        """The known branch, or every branch on its own path with the outputs they agree on."""
        branches = list(eqn.params["branches"])
        index, operands = known_values(inputs[0]), inputs[1:]
        inner = ctx.inside(eqn)
        if index is not None:
            chosen = min(max(int(index.item()), 0), len(branches) - 1)
            return self.run(branches[chosen], operands, state, inner)
        results, states = [], []
        for branch in branches:
            branch_state = dict(state)
            results.append(self.run(branch, operands, branch_state, inner))
            states.append(branch_state)
        for branch_state in states:
            for kid, use in branch_state.items():
                state.setdefault(kid, use)
        merged = []
        for var, values in zip(eqn.outvars, zip(*results)):
            same = all(same_ids(v, values[0]) for v in values)
            merged.append(values[0] if same else self.ids.fresh(var.aval))
        return merged

    def _scan(self, eqn: JaxprEqn, inputs: list, state: dict, ctx: Context) -> list:
        """The first few steps of a scan; carries that change become fresh after them."""
        p = eqn.params
        (n_consts, n_carry), length = scan_layout(p), int(p["length"])
        consts = inputs[:n_consts]
        carry = inputs[n_consts:n_consts + n_carry]
        xs = inputs[n_consts + n_carry:]
        body = p["jaxpr"]
        x_avals = [as_jaxpr(body).invars[n_consts + n_carry + i].aval for i in range(len(xs))]
        steps = min(length, _UNROLL)
        passthrough = [True] * n_carry
        ys_steps = []
        for step in range(steps):
            position = length - 1 - step if p.get("reverse") else step
            x_step = [x[position, ...] if is_tracked(x) else self.ids.fresh(a) for x, a in zip(xs, x_avals)]
            out = self.run(body, consts + carry + x_step, state, ctx.inside(eqn, step))
            new_carry, ys = out[:n_carry], out[n_carry:]
            passthrough = [keep and same_ids(a, b) for keep, a, b in zip(passthrough, carry, new_carry)]
            carry = new_carry
            ys_steps.append(ys)
        out_avals = [v.aval for v in eqn.outvars]
        if length > steps:
            carry = [c if keep else self.ids.fresh(a) for c, keep, a in zip(carry, passthrough, out_avals)]
        ys_out = []
        for i, aval in enumerate(out_avals[n_carry:]):
            column = [ys[i] for ys in ys_steps]
            if length == steps and length > 0 and all(is_tracked(c) for c in column):
                if p.get("reverse"):
                    column = column[::-1]
                ys_out.append(np.stack(column))
            else:
                ys_out.append(self.ids.fresh(aval))
        return carry + ys_out

    def _while(self, eqn: JaxprEqn, inputs: list, state: dict, ctx: Context) -> list:
        """The first few steps of a while loop; carries that change become fresh after them."""
        p = eqn.params
        n_cond, n_body = p["cond_nconsts"], p["body_nconsts"]
        cond_consts = inputs[:n_cond]
        body_consts = inputs[n_cond:n_cond + n_body]
        carry = inputs[n_cond + n_body:]
        passthrough = [True] * len(carry)
        for step in range(_UNROLL):
            inner = ctx.inside(eqn, step)
            self.run(p["cond_jaxpr"], cond_consts + carry, state, inner)
            new_carry = self.run(p["body_jaxpr"], body_consts + carry, state, inner)
            passthrough = [keep and same_ids(a, b) for keep, a, b in zip(passthrough, carry, new_carry)]
            carry = new_carry
        return [c if keep else self.ids.fresh(v.aval) for c, keep, v in zip(carry, passthrough, eqn.outvars)]
