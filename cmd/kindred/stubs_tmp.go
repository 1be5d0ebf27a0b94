package main

func evalCommand() command  { return command{name: "eval", summary: "TODO"} }
func benchCommand() command { return command{name: "bench", summary: "TODO"} }
func serveCommand() command { return command{name: "serve", summary: "TODO"} }
