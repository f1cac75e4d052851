#!/usr/bin/env python3
"""Planning statistics of a `litfass coverage` output folder (docs/ACCURACY.md).

Usage: scripts/coverage_stats.py DIR RESOLUTION_M  (reads telekom-*.tif and height.tif with gdal_translate; needs numpy,
Debian python3-numpy). The same statistics are asserted by DefaultScenarioAccuracyTests."""
import sys, subprocess, numpy as np, os, tempfile, re
d=sys.argv[1]; res=float(sys.argv[2]) if len(sys.argv)>2 else None
def read(name, band=1):
    t=tempfile.mktemp(suffix='.bin')
    subprocess.run(['gdal_translate','-q','-of','ENVI','-b',str(band),os.path.join(d,name),t],check=True)
    hdr=open(t.replace('.bin','.hdr') if os.path.exists(t.replace('.bin','.hdr')) else t+'.hdr').read()
    import re
    s=int(re.search(r'samples\s*=\s*(\d+)',hdr).group(1)); l=int(re.search(r'lines\s*=\s*(\d+)',hdr).group(1))
    a=np.fromfile(t,dtype=np.float32).reshape(l,s); return a
h=read('height.tif'); rsrp=read('telekom-rsrp.tif'); sinr=read('telekom-sinr.tif')
dl78=read('telekom-dl-throughput.tif',2); ul=read('telekom-ul-throughput.tif')
dl=read('telekom-dl-throughput.tif')
nod=-9999
cell=res
b=h>0
outdoor=~b
# distance to building cells <=150 m via dilation
r=int(150//cell)
near=np.zeros_like(b)
H,W=b.shape
for dy in range(-r,r+1):
    for dx in range(-r,r+1):
        if (dy*dy+dx*dx)*cell*cell>150*150: continue
        ys=slice(max(0,dy),H+min(0,dy)); yd=slice(max(0,-dy),H+min(0,-dy))
        xs=slice(max(0,dx),W+min(0,dx)); xd=slice(max(0,-dx),W+min(0,-dx))
        near[yd,xd]|=b[ys,xs]
far=~near
val=rsrp!=nod
o=outdoor&val
print("grid",H,W,"cells",H*W,"building cells",b.sum())
print("p99.9 outdoor RSRP %.1f dBm (max %.1f)"%(np.percentile(rsrp[o],99.9),rsrp[o].max()))
print("far cells %d, with value %.2f %%"%(far.sum(),100*(far&val).sum()/max(1,far.sum())))
on=outdoor&near
print("SINR>=0 on outdoor near cells: %.1f %% (of %d; nodata counts as fail)"%(100*((sinr>=0)&val&on).sum()/on.sum(),on.sum()))
print("  of those with value: %.1f %%"%(100*((sinr>=0)&val&on).sum()/(val&on).sum()))
v78=dl78!=nod
print("n78 DL max %.0f Mbit/s; combined DL max %.0f, median(outdoor near) %.0f"%(dl78[v78].max(),dl[dl!=nod].max(),np.median(dl[on&(dl!=nod)])))
uv=ul!=nod
m=ul[uv].max()
print("UL max %.2f, share at max %.2f %% (of cells with value), median %.1f"%(m,100*(ul[uv]==m).sum()/uv.sum(),np.median(ul[uv])))
print("share of UL cells within 1%% of max: %.2f %%"%(100*(ul[uv]>=0.99*m).sum()/uv.sum()))
print("SINR min/median/max %.1f %.1f %.1f"%(sinr[val].min(),np.median(sinr[val]),sinr[val].max()))
