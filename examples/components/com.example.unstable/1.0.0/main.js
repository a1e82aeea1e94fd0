// Starts fine, then crashes with an uncaught error half a second later (operational state Failed).
scomo.log('unstable started');
setTimeout(() => {
	throw new Error('unstable crashed');
}, 500);
