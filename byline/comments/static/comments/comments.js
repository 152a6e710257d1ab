// comments.js: see below
