
‘
protos/greeter.protodemo.greeter""
HelloRequest
name (	Rname"&

HelloReply
message (	Rmessage2K
Greeter@
SayHello.demo.greeter.HelloRequest.demo.greeter.HelloReply2J
Farewell>
SayBye.demo.greeter.HelloRequest.demo.greeter.HelloReplybproto3