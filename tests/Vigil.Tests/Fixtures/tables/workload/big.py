import subprocess
subprocess.run(["/bin/true", "vigil-big", "abcdefghij" * 10000, "tail"])
subprocess.run(["/bin/true", "vigil-many"] + ["arg%04d" % i for i in range(3000)])
