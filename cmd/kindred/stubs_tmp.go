package main

func benchCommand() command { return command{name: "bench", summary: "TODO"} }
