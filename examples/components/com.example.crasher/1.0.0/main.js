// Throws while it is evaluated, so Start ends with 1450 and the component is Failed.
throw new Error('crasher refuses to start');
